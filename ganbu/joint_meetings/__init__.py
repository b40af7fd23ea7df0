"""The supervising bodies' joint meeting (联席会议), January and July by county policy: members, agenda
from open cases, findings per cadre, minutes and follow-up items (issue 14).
"""
