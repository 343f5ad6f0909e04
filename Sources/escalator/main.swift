// Replaced by the real entry point in this same change series.
print("feedloop-escalator: not built yet")
