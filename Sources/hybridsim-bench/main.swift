print("hybridsim-bench")
