"""China provincial AI policy dashboard: data, logic and Streamlit pages."""
