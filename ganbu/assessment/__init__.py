"""Assessment (考核): annual, regular, special and term assessment rounds of a unit's cadres and
leadership teams, their grades onto the registry and their consequences (issue 14).
"""
