"""Exchanges (交流): 调任、转任、轮岗、挂职、党外干部挂任, and rotation plans (交流轮岗方案) (issue 15)."""
