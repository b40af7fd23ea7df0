"""教育培训 (issue 15): the year's programs, classes, enrollment, attendance, results and coverage."""
