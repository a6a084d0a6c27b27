"""The case file: its declaration (every field once), reading and checking it, money as
read, and the spreadsheet columns a caseload uses.
"""
