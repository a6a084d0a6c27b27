"""The guide site: pages generated from the rules and templates, and the MkDocs plugin that
builds them.
"""
