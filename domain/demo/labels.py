"""The demo company's labels: what its metrics, departments, skills and feedback themes are
called in English, and its skills and themes in Chinese (metrics and departments have their
Chinese names in their own templates). Skills and themes share codes, so one table names both.
"""

from __future__ import annotations

from domain.demo import stories as st

METRICS_EN = {
    "avg_order_value": "Average order value",
    "defect_rate": "Defect rate",
    "code_efficiency": "Code efficiency score",
    "campaign_roi": "Campaign ROI",
    "user_retention": "User retention",
    "complaint_handling_hours": "Complaint handling time",
    "complaint_rate": "Complaint rate",
    "on_time_delivery_rate": "On-time delivery rate",
    "sales_conversion_rate": "Sales conversion rate",
    "training_hours": "Training hours",
}
DEPARTMENTS_EN = {
    "HQ": "Headquarters",
    "STORE": "Stores",
    "PROD": "Production",
    "TECH": "Technology",
    "MKT": "Marketing",
    "CS": "Customer Service",
    "SALES": "Sales",
    "OPS": "Operations",
}
# code: (zh-CN, en) for skills and feedback themes
TOPICS = {
    "budget": ("预算", "Budget"),
    "campaign_analytics": ("活动数据分析", "Campaign analytics"),
    "career": ("职业发展", "Career development"),
    "code_optimization": ("代码优化", "Code optimisation"),
    "code_review": ("代码评审", "Code review"),
    "compensation": ("薪酬", "Compensation"),
    "complaint_resolution": ("投诉处理", "Complaint resolution"),
    "consultative_selling": ("顾问式销售", "Consultative selling"),
    "content_creation": ("内容创作", "Content creation"),
    "customer_service": ("客户服务", "Customer service"),
    "data_analysis": ("数据分析", "Data analysis"),
    "delivery": ("交付", "Delivery"),
    "equipment": ("设备", "Equipment"),
    "equipment_operation": ("设备操作", "Equipment operation"),
    "expectation": ("客户预期", "Customer expectations"),
    "knowledge_base": ("知识库", "Knowledge base"),
    "knowledge_sharing": ("经验分享", "Knowledge sharing"),
    "leads": ("销售线索", "Sales leads"),
    "logistics_planning": ("物流规划", "Logistics planning"),
    "membership": ("会员", "Membership"),
    "mentoring": ("导师带教", "Mentoring"),
    "offline_events": ("线下活动", "Offline events"),
    "onboarding": ("新人入职", "Onboarding"),
    "people_management": ("团队管理", "People management"),
    "premium_recommendation": ("高端产品推荐", "Premium product recommendation"),
    "process": ("流程", "Process"),
    "product_knowledge": ("产品知识", "Product knowledge"),
    "quality_control": ("质量控制", "Quality control"),
    "retention": ("用户留存", "Retention"),
    "safety": ("安全", "Safety"),
    "sales_skills": ("销售技巧", "Sales skills"),
    "service_communication": ("服务沟通", "Service communication"),
    "staffing": ("人手配置", "Staffing"),
    "system_design": ("系统设计", "System design"),
    "technical_debt": ("技术债务", "Technical debt"),
    "test_automation": ("自动化测试", "Test automation"),
    "tools": ("工具", "Tools"),
    "training": ("培训", "Training"),
    "user_operations": ("用户运营", "User operations"),
    "wellbeing": ("员工关怀", "Wellbeing"),
    "workload": ("工作量", "Workload"),
}


def label_rows(skills: set[str], tags: set[str]) -> list[tuple[str, str, str, str]]:
    """(kind, code, locale, name) rows for the demo's metrics, departments and the ``skills`` and
    theme ``tags`` its data uses."""
    rows = [("metric", code, "en", METRICS_EN[code]) for code, *_ in st.METRICS]
    rows += [("department", d.code, "en", DEPARTMENTS_EN[d.code]) for d in st.DEPARTMENTS]
    for kind, codes in (("skill", skills), ("tag", tags)):
        for code in sorted(codes):
            zh, en = TOPICS[code]
            rows += [(kind, code, "zh-CN", zh), (kind, code, "en", en)]
    return rows
