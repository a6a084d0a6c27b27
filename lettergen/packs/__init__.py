"""Template packs as folders: the built-in one and a user's, the rule that a pack reads
only its own files, and a pack's manifest and style.
"""
