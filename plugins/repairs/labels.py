"""Bilingual labels of the repairs plugin's codes (channel, urgency, satisfaction)."""

from __future__ import annotations

CHANNELS = {"phone": ("Phone call", "来电"), "walk_in": ("Walk-in", "来访"), "portal": ("Owner portal", "业主端"),
            "wechat": ("WeChat", "微信"), "letter": ("Letter", "来函"), "patrol": ("Patrol", "巡查发现")}
URGENCIES = {"normal": ("Normal", "一般"), "urgent": ("Urgent", "紧急"), "emergency": ("Emergency", "特急")}
SATISFACTION = {"satisfied": ("Satisfied", "满意"), "unsatisfied": ("Unsatisfied", "不满意")}
DISPATCH_MODES = {"assign": ("Assigned by the supervisor", "主管派工"), "grab": ("Grab (抢单)", "抢单"),
                  "round_robin": ("Round robin", "轮流派工")}
