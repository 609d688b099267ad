"""One module per rule family; each rule is `check_x(record, th) -> list[Finding]`.
`base` has the helpers every rule shares, `series` the curve arithmetic.
"""
