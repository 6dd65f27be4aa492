"""Backups and restores of the deployment's stores (`tutor eks backup|restore`).

stores.py finds the four stores and names what belongs to them; jobs.py drives AWS
Backup (on-demand jobs, recovery points); restore.py makes side-by-side copies;
logical.py renders the dump Jobs. boto3 is imported by the commands only.
"""
