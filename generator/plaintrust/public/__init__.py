"""The public side: everything a customer can see is rendered here, from the allow-listed view only.

It never imports plaintrust.internal (an import contract holds it to that).
"""
