print("hybridsim")
