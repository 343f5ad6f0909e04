// Replaced by the real entry point in this same change series.
print("feedloop-analytics: not built yet")
