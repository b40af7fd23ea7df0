"""Management commands of the interop app."""
