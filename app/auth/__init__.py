"""Authorization: who may do what to which object. Every view and template asks here."""
