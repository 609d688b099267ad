"""Many runs of one architecture as one compiled JAX program: `run.train_group` builds the members,
`program` plans and compiles the group, `chunk` is the program (vmap over members inside lax.scan), `log`
writes each member's epochs through its own `RunLogger`.
"""
