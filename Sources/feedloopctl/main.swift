// Replaced by the real entry point in this same change series.
print("feedloop-feedloopctl: not built yet")
