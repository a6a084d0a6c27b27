"""What lettergen tells the user about a case or a pack: check, the timeline and
its calendar, the one-page report, and pack check.
"""
