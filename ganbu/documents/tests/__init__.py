"""Tests of the document model, the .docx and .pdf renderers and Word template filling."""
