"""The growth archive's salon side: contributions and their points, the appraisal bonus, salon
ratings, and a person's standing on their department's metrics."""
