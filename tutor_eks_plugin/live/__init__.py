"""Live checks of a running deployment: `tutor eks validate` and `tutor eks loadtest`.

Nothing here is imported when the plugin loads; the commands import it when they run,
so boto3 and friends cost nothing on other `tutor` commands.
"""
