"""`tutor eks cost`: a monthly estimate of what the configured deployment costs on AWS.

`estimate` prices every component the two stacks create, from the profile
(profiles.tf), the config (which stores are on) and usage assumptions the user can
change; `prices.json` is the dated price table, `live` reads instance prices from
the AWS Price List API. `python -m tutor_eks_plugin.cost --write docs/cost.md`
regenerates the side-by-side page.
"""
