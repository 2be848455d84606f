"""Import and export of reports: the versioned JSON exchange file."""
