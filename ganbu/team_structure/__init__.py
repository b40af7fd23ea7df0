"""班子结构 (issue 15): each unit's leadership team, its structure and the county's structure targets,
and the what-if of planned moves. Reads only (no models): see ``selectors``."""
