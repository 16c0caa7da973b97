"""Streamlit helpers shared by the pages: translations, URL state, cached loaders."""
