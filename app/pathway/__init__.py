"""The pathway of ten steps: the association's template and each city's steps."""
