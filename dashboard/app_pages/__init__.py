"""One thin module per page: read state, call the logic, render."""
