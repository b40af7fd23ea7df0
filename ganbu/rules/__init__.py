"""Pure regulation and arithmetic rules: no Django, no database (enforced by import-linter).

Every function takes plain values or frozen dataclasses and returns a value or a verdict with
reasons; every docstring names the regulation or standard it implements.
"""
