"""The to-do list (待办事项) computed from the data, and the reminders (提醒) sent from it."""
