"""The editor tabs of the main window, one module per tab."""
