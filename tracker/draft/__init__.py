"""`tracker draft`: candidate developments, in the import format, from datasets analysts hold.

Pure logic over plain inputs (rows, an actor directory, the tracks a store already has): no
click, no store, no read models. One module per format reads rows into candidates; `shared`
names actors, grades sources and merges repeats; `plan` places candidates on tracks, checks
them by the models `import` uses and writes them.
"""
