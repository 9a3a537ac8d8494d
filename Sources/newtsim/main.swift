print("newtsim")
