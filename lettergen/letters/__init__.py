"""Letters: templates found in packs, rendered in the sandbox from the case's facts, and
read into the one document model every writer reads.
"""
