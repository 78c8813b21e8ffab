"""The semester report (学期工作报告, seed 004 三; SPEC §12): figures computed from the records,
as a PDF with charts and an .xlsx with the tables, each figure with the URL of its rows."""
