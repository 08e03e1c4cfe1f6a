"""The Plotly Dash app for KL's mayors' leadership programme."""
