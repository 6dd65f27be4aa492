"""`tutor eks diagram`: pictures of this deployment, drawn from its configuration.

`model` turns the Tutor config, the sizing profile (profiles.tf), the stage-2
Helm releases and the public routes into plain nodes and edges; `draw` hands them
to the `diagrams` library (Graphviz). `python -m tutor_eks_plugin.diagram --write
docs/diagrams` regenerates the pictures the README shows.
"""
