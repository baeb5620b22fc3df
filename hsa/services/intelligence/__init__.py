"""Features that learn from data: "describe your problem", recommendations, demand forecasts."""
