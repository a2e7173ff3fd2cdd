from precedent.cli import app

app(prog_name="precedent")
