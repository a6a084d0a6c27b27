"""Files on disk, written all or nothing: letters, packets, batches of cases, caseload
spreadsheets to case files and back, and a new pack.
"""
