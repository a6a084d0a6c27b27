"""What a case means: its facts, the clocks it starts, findings, stage, plan and settlement
figures, and who a letter goes to.
"""
