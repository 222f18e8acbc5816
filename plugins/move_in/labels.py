"""Bilingual labels of the move-in plugin's codes."""

from __future__ import annotations

# Who rectifies a defect found at the joint inspection (联合验房): the property company's engineering
# department (a repair order when the repairs plugin is enabled) or the developer's repair team (保修).
RESPONSIBLE = {"engineering": ("Engineering (repair order)", "工程部维修"),
               "developer": ("Developer warranty", "开发商保修")}
DEFECT_STATES = {"open": ("Open", "待整改"), "rectified": ("Rectified", "已整改"),
                 "accepted": ("Re-inspected, accepted", "复验合格"), "failed": ("Re-inspection failed", "复验不合格")}
CHECKLIST = {"notice": ("Move-in notice (入伙通知书)", "入伙通知书"),
             "id_documents": ("ID cards of the owner and household members", "业主及家庭成员身份证"),
             "purchase_contract": ("Purchase contract (original and copy)", "购房合同（原件及复印件）"),
             "photos": ("One-inch colour photos", "一寸彩照")}
