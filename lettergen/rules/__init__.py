"""The rules table (every deadline and citation, with its source and scope), the deadline
arithmetic it needs, and the tactics table.
"""
