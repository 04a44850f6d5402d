"""The participant side: personal links, the map form, drafts and submissions."""
