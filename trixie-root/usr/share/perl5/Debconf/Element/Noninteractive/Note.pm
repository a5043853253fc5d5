#!/usr/bin/perl
# This file was preprocessed, do not edit!


package Debconf::Element::Noninteractive::Note;
use warnings;
use strict;
use base qw(Debconf::Element::Noninteractive);


1
