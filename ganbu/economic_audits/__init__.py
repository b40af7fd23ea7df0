"""Economic-responsibility audits (经济责任审计) of unit heads: subjects, triggers before a move, commission
with notice, findings and follow-up (issue 14).
"""
