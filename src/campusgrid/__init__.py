"""CampusGrid: student grid management (学生网格化管理)."""
