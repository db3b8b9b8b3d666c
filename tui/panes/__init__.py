"""The steps of the work screen, one pane each (parties to economics)."""
