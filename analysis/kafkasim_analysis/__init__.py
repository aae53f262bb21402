"""Plots and statistics of kafkasim's reports (issue 5). Debian's python3-pandas and
python3-matplotlib only; run with /usr/bin/python3."""
