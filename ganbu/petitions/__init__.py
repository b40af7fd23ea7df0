"""Petitions and reports (信访举报): letters, calls and visits from the public desk with tracking codes,
intake, assignment, verification and conclusion (issue 14).
"""
