"""Secret ballots: democratic recommendation, democratic evaluation and the committee vote (issue #3)."""
