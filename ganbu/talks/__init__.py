"""Supervision talks (谈话): 廉政谈话 before taking office, 提醒谈话, 函询, 诫勉 with its impact
period, the 纪委书记's talks with unit heads (issue 14).
"""
