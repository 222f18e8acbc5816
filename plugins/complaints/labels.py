"""The complaint register's vocabulary in both languages: field labels and the choices of its string
fields (``core.label_fields`` applies them to every schema in ``schemas.py``)."""

from __future__ import annotations

CATEGORIES = {
    "service_attitude": ("Service attitude", "服务态度"),
    "fees": ("Fees", "收费"),
    "repairs": ("Repairs", "维修"),
    "security": ("Security", "安全秩序"),
    "cleaning": ("Cleaning", "清洁卫生"),
    "greening": ("Greening", "绿化"),
    "parking": ("Parking", "停车"),
    "neighbour": ("Neighbours", "邻里纠纷"),
    "other": ("Other", "其他"),
}
SEVERITIES = {
    "ordinary": ("Ordinary", "一般投诉"),
    "major": ("Major (to the manager)", "重大投诉（报经理）"),
    "serious": ("Serious (to the company)", "严重投诉（报公司）"),
}
DEPARTMENTS = {
    "": ("Not set", "未指定"),
    "customer_service": ("Customer service", "客服部"),
    "engineering": ("Engineering", "工程部"),
    "security": ("Security", "安管部"),
    "environment": ("Cleaning and greening", "环境部"),
    "finance": ("Finance", "财务部"),
    "management": ("Management office", "管理处"),
    "other": ("Other", "其他"),
}
CHANNELS = {
    "phone": ("Phone", "电话"),
    "visit": ("Visit", "来访"),
    "letter": ("Letter", "信函"),
    "email": ("E-mail", "电子邮件"),
    "website": ("Website", "网站"),
    "wechat": ("WeChat", "微信"),
    "other": ("Other", "其他"),
}
SATISFACTION = {
    "": ("Not asked", "未评价"),
    "satisfied": ("Satisfied", "满意"),
    "fair": ("Fair", "基本满意"),
    "unsatisfied": ("Unsatisfied", "不满意"),
}
ESCALATED = {"": ("No", "否"), "manager": ("Manager", "经理"), "company": ("Company", "公司")}

FIELDS = {
    "number": ("Complaint no.", "投诉编号"),
    "complainant_name": ("Complainant", "投诉人"),
    "complainant_phone": ("Phone", "联系电话"),
    "channel": ("Channel", "投诉方式"),
    "received_at": ("Received", "受理时间"),
    "received_by_id": ("Received by", "受理人"),
    "intake_id": ("Reception record", "来电来访登记"),
    "summary": ("Summary", "内容摘要"),
    "content": ("Content", "投诉内容"),
    "category": ("Category", "投诉类别"),
    "valid": ("Valid complaint", "有效投诉"),
    "invalid_reason": ("Why not valid", "无效原因"),
    "severity": ("Severity", "投诉级别"),
    "department": ("Department responsible", "责任部门"),
    "subject_staff_id": ("Person complained about", "被投诉人"),
    "escalated_to": ("Reported to", "已上报"),
    "investigation": ("Investigation", "调查情况"),
    "reply": ("Reply to the complainant", "答复内容"),
    "replied_at": ("Replied", "答复时间"),
    "corrective_action": ("Corrective action", "纠正措施"),
    "verification": ("Verification", "验证情况"),
    "satisfaction": ("Satisfaction", "满意度"),
    "closed_at": ("Closed", "结案时间"),
    "party_id": ("Complainant on file", "投诉业主"),
    "status": ("Status", "状态"),
}
CHOICES = {"category": CATEGORIES, "severity": SEVERITIES, "department": DEPARTMENTS, "channel": CHANNELS,
           "satisfaction": SATISFACTION, "escalated_to": ESCALATED}
