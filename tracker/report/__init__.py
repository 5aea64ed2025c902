"""Briefings: an HTML report with a timeline picture, and a Markdown brief.

The report only reads: `gather` asks the read side's queries for JSON-shaped results (what
`--json` prints), `layout` turns dates into geometry, and Jinja2 templates shipped with the
package turn both into markup. Nothing here writes to a store or imports the write side.
"""
